/**
 * Java `String.split(literal)`: trailing empty strings are removed, leading and inner ones are kept, and an input
 * without the separator (even "") yields itself. CloudStack's validators lean on these semantics (contract §2.2).
 */
export function javaSplit(text: string, separator: string): string[] {
  if (!text.includes(separator)) return [text];
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}
