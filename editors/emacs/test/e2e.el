;;; e2e.el --- tally.el in a real Emacs with eglot, against the real server  -*- lexical-binding: t; -*-
;; TALLY_BIN=/path/to/tally emacs --batch -Q -l editors/emacs/test/e2e.el
;; Exits 0 when every check passed, 1 otherwise.

(require 'package)
;; Debian's elpa-* packages (elpa-eglot), which `emacs -Q' does not look at by itself.
(dolist (d '("/usr/share/emacs/site-lisp/elpa" "/usr/share/emacs/site-lisp/elpa-src"))
  (when (file-directory-p d) (add-to-list 'package-directory-list d)))
(package-initialize)
(let* ((here (file-name-directory (or load-file-name buffer-file-name)))
       (emacs-dir (expand-file-name ".." here)))
  (add-to-list 'load-path emacs-dir)
  (defvar tally-test-repo (expand-file-name "../.." emacs-dir)))
(require 'tally)

(defvar tally-test-passed 0)
(defvar tally-test-failed 0)
(defun tally-test-check (name ok &optional detail)
  (if ok
      (progn (setq tally-test-passed (1+ tally-test-passed)) (princ (format "ok   - %s\n" name)))
    (setq tally-test-failed (1+ tally-test-failed))
    (princ (format "FAIL - %s%s\n" name (if detail (format ": %S" detail) ""))))
  ok)

(defun tally-test-wait (pred &optional seconds)
  "Run the event loop until PRED is non-nil or SECONDS (default 20) pass."
  (let ((end (+ (float-time) (or seconds 20))) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) end))
      (accept-process-output nil 0.05)
      (run-hooks 'post-command-hook))
    v))

(setq tally-program (or (getenv "TALLY_BIN") "tally"))
(setq tally-diagnostics '(:unsourced-figure "error"))
(unless (fboundp 'markdown-mode)
  (add-to-list 'auto-mode-alist '("\\.md\\'" . text-mode)))
(add-hook 'text-mode-hook #'tally-eglot-ensure)
(add-hook 'markdown-mode-hook #'tally-eglot-ensure)
(setq eglot-sync-connect t)

(condition-case err
    (let* ((corpus (expand-file-name "examples/aleppo-evacuation/" tally-test-repo))
           (article (expand-file-name "aleppo-notebook-2016-12-14-how-many.md" corpus))
           (other (expand-file-name "humanitarian-dispatch-2016-12-09-shelters.md" corpus))
           claim)
      (find-file article)
      (tally-test-check "the project root is the corpus"
                        (equal (project-root (project-current)) (file-name-as-directory corpus))
                        (project-current))
      (tally-test-check "eglot connects to tally"
                        (tally-test-wait (lambda () (eglot-current-server))))
      (flymake-start)
      (let ((texts (tally-test-wait
                    (lambda ()
                      (let ((ts (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
                        (and (cl-some (lambda (s) (string-match-p "conflicts with" s)) ts)
                             (cl-some (lambda (s) (string-match-p "not attributed" s)) ts)
                             ts))))))
        (tally-test-check "diagnostics: unsourced and conflicting figures" texts
                          (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
      (tally-test-check "the severity override makes unsourced-figure an error"
                        (cl-some (lambda (d) (and (string-match-p "not attributed" (flymake-diagnostic-text d))
                                                  (eq (flymake-diagnostic-type d) 'eglot-error)))
                                 (flymake-diagnostics))
                        (mapcar (lambda (d) (cons (flymake-diagnostic-type d) (flymake-diagnostic-text d)))
                                (flymake-diagnostics)))
      ;; Hover: eglot's request, as eldoc and M-x eglot-help-at-point use it.
      (goto-char (point-min))
      (search-forward "[about 30,000]")
      (setq claim (+ (match-beginning 0) 1))
      (goto-char claim)
      (let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                     (eglot--TextDocumentPositionParams)))
             (text (format "%S" (plist-get hover :contents))))
        (tally-test-check "hover shows the event and the other reading"
                          (and (string-match-p "east-aleppo-besieged" text)
                               (string-match-p "United Nations" text))
                          text))
      (tally-next-claim)
      (tally-test-check "tally-next-claim visits the other article at its claim"
                        (and (equal (buffer-file-name) other)
                             (looking-at-p "some 250,000 people")
                             (= (line-number-at-pos) 9))
                        (list (buffer-file-name) (point)))
      (tally-previous-claim)
      (tally-test-check "tally-previous-claim comes back"
                        (and (equal (buffer-file-name) article) (= (point) claim))
                        (list (buffer-file-name) (point)))
      (tally-readings)
      (let ((xref (tally-test-wait (lambda () (get-buffer "*xref*")) 5)))
        (tally-test-check "tally-readings lists both readings"
                          (and xref
                               (with-current-buffer xref
                                 (and (string-match-p "aleppo-notebook" (buffer-string))
                                      (string-match-p "humanitarian-dispatch" (buffer-string)))))
                          (and xref (with-current-buffer xref (buffer-string))))))
  (error (tally-test-check "the test ran to the end" nil err)))

(princ (format "emacs-%s: %d passed, %d failed\n" emacs-version tally-test-passed tally-test-failed))
(kill-emacs (if (and (> tally-test-passed 0) (= tally-test-failed 0)) 0 1))
