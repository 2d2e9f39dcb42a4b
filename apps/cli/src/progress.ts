/** A one-line progress bar on a terminal; silent (the caller logs instead) when not a TTY. */
export function progressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stdout,
): (done: number, total: number) => void {
  if (!stream.isTTY) return () => undefined;
  const started = Date.now();
  return (done, total) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    const secs = Math.round((Date.now() - started) / 1000);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${secs}s`);
    if (done >= total) stream.write('\n');
  };
}
