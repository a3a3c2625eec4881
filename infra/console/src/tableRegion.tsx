import type { ComponentChildren } from 'preact';

/**
 * A wide table's horizontal scroll box. Keyboard users must be able to scroll it too (axe:
 * scrollable-region-focusable), so it is a named region that takes focus.
 */
export const TableRegion = ({ label, children }: { label: string; children: ComponentChildren }) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so the keyboard can scroll it
  <section class="table-wrap" aria-label={label} tabIndex={0}>
    {children}
  </section>
);
