import type { Impact, MaintenanceStatus } from '../choices';

/** One circuit named by a notification, with how the maintenance affects it. */
export interface ParsedCircuit {
  /** The provider's circuit id (Plinth's `cid`). */
  circuit_id: string;
  impact: Impact;
}

/** A maintenance as a notification describes it (circuit-maintenance-parser's Maintenance). */
export interface ParsedMaintenance {
  /** The provider as the notification names it (BCOP X-MAINTNOTE-PROVIDER), if it does. */
  provider: string | null;
  account: string;
  maintenance_id: string;
  status: MaintenanceStatus;
  start: Date;
  end: Date;
  /** iCalendar SEQUENCE: a re-sent notification with a higher one supersedes the earlier. */
  sequence: number;
  summary: string;
  circuits: ParsedCircuit[];
}

/** A notification read by a parser: its envelope and the maintenances it announces. */
export interface ParsedNotificationResult {
  /** The parser that understood it: `ical`, `aws`, `cogent`. */
  parser: string;
  subject: string;
  sender: string;
  /** When the notification was sent (the e-mail's Date, the calendar's DTSTAMP), if known. */
  date: Date | null;
  maintenances: ParsedMaintenance[];
}

/** The notification could not be understood; `message` is kept as the raw notification's reason. */
export class NotificationParseError extends Error {
  constructor(
    message: string,
    /** The envelope read before parsing failed (kept with the raw notification). */
    readonly envelope: { subject: string; sender: string; date: Date | null } = {
      subject: '',
      sender: '',
      date: null,
    },
  ) {
    super(message);
    this.name = 'NotificationParseError';
  }
}

/** The text of an e-mail, as provider-specific parsers see it. */
export interface EmailText {
  subject: string;
  sender: string;
  date: Date | null;
  text: string;
}
