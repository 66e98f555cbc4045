// A modal question with two answers (the browser's own <dialog>: focus kept inside, Escape cancels), rendered
// at the end of <body> so it can be opened from anywhere (a table row included).
import { useEffect, useRef, type ReactElement } from 'react';
import { createPortal } from 'react-dom';

export function ConfirmDialog(props: {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}): ReactElement {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
  }, []);
  return createPortal(
    <dialog ref={dialog} className="confirm" aria-label={props.title} onCancel={props.onCancel}>
      <h2>{props.title}</h2>
      <p>{props.message}</p>
      <div className="buttons">
        <button type="button" onClick={props.onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>,
    document.body,
  );
}
