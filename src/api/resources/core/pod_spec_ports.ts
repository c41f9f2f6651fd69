/** Port number and IANA_SVC_NAME port name checks (apimachinery's IsValidPortNum / IsValidPortName), shared with Services. */

/** isValidPortNum: 1–65535 inclusive. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** isValidPortName: an IANA_SVC_NAME: ≤ 15 chars of a-z, 0-9 and '-', at least one letter, no '--', no leading/trailing '-'. */
export function isValidPortName(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** SUPPORTED_PORT_PROTOCOLS lists Protocol values in the order upstream reports them. */
export const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
