import { html, type ObjectContext, type TemplateExtension } from '@plinth/plugin-sdk';

const OUTCOME_TEXT: Record<string, [string, string]> = {
  succeeded: ['success', 'Re-sent: the receiver accepted it.'],
  failed: ['danger', 'Re-sent: the delivery failed again (see the response and error).'],
};

/**
 * The delivery page: a Re-send button for users who may change webhooks (a form posting to
 * WebhookResendUiController), and the outcome of the last re-send.
 */
export const webhookDeliveryPage: TemplateExtension = {
  model: 'extras.webhookdelivery',
  async full_width_page(ctx: ObjectContext) {
    const resent = OUTCOME_TEXT[ctx.query.resent?.[0] ?? ''];
    const mayResend = await ctx.can('change', 'extras.webhook');
    if (!mayResend && !resent) return null;
    const form = html`<form
      method="post"
      action="/extras/webhook-deliveries/${String(ctx.object.id)}/resend/"
    >
      <input type="hidden" name="csrfmiddlewaretoken" value="${ctx.csrf_token}" />
      <p class="text-muted small mb-2">
        Sends the payload once more, now, signed with the webhook's current secret.
      </p>
      <button type="submit" class="btn btn-sm btn-warning webhook-resend">Re-send</button>
    </form>`;
    return {
      title: 'Re-send',
      body: html`${resent ? html`<div class="alert alert-${resent[0]} webhook-resent">${resent[1]}</div>` : ''}
      ${mayResend ? form : ''}`,
    };
  },
};
