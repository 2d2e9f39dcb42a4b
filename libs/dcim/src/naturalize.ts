/**
 * A sort key that orders names as people read them: digit runs are zero-padded, so
 * `Ethernet1/2` < `Ethernet1/10` and `edge2` < `edge10`.
 */
export function naturalize(name: string, width = 8): string {
  return name.replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(width, '0')).slice(0, 200);
}
