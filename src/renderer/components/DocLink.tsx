/** A document number as a link to its document view (lines, who did what and when, reprint). */
import { href } from '../router';

export function DocLink({ docNo }: { docNo: string }) {
  return (
    <a
      href={href(`/doc/${encodeURIComponent(docNo)}`)}
      className="doc-link"
      data-doc-no={docNo}
      // Inside a clickable row the link opens the document, not the row's own detail.
      onClick={(e) => e.stopPropagation()}
    >
      {docNo}
    </a>
  );
}
