;;; tally.el --- tally's language server in Emacs, through eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, tools

;;; Commentary:

;; Runs `tally lsp' with eglot for Markdown and text articles inside a corpus (a folder with
;; a tally.toml, which becomes the project root), and adds
;;
;;   M-x tally-next-claim       jump to the next claim of the event under point
;;   M-x tally-previous-claim   jump to the previous one
;;   M-x tally-readings         every reading of the event (xref, like M-?)
;;
;; Setup (see editors/README.md):
;;
;;   (add-to-list 'load-path "/path/to/tally/editors/emacs")
;;   (require 'tally)
;;   (setq tally-program "/path/to/tally")            ; default: "tally" on exec-path
;;   (add-hook 'markdown-mode-hook #'tally-eglot-ensure)
;;   (add-hook 'text-mode-hook #'tally-eglot-ensure)
;;   (with-eval-after-load 'tally
;;     (define-key tally-mode-map (kbd "C-c t n") #'tally-next-claim)
;;     (define-key tally-mode-map (kbd "C-c t p") #'tally-previous-claim)
;;     (define-key tally-mode-map (kbd "C-c t r") #'tally-readings))

;;; Code:

(require 'eglot)
(require 'project)
(require 'xref)
(require 'cl-lib)

(defgroup tally nil
  "Figures in news corpora, through tally's language server."
  :group 'tools
  :prefix "tally-")

(defcustom tally-program "tally"
  "The tally binary; the server runs as `tally lsp'."
  :type 'string)

(defcustom tally-diagnostics nil
  "Severity overrides, as a plist: (:unlinked-figure \"off\" :unsourced-figure \"error\").
Values: \"error\", \"warning\", \"info\", \"hint\" or \"off\"."
  :type '(plist :key-type symbol :value-type string))

(defconst tally-root-marker "tally.toml")

(defconst tally-modes '(markdown-mode gfm-mode text-mode)
  "Major modes of articles.")

(defun tally-root (&optional dir)
  "The corpus root above DIR (default: the current buffer's directory), or nil."
  (let ((d (or dir (and buffer-file-name (file-name-directory buffer-file-name)) default-directory)))
    (when d
      (let ((root (locate-dominating-file d tally-root-marker)))
        (and root (file-name-as-directory (expand-file-name root)))))))

;; A corpus is a project whose root holds tally.toml, so eglot's workspace is the corpus.
(defun tally--project-find (dir)
  "A tally project for DIR, when it is inside a corpus."
  (let ((root (tally-root dir)))
    (and root (cons 'tally root))))

(cl-defmethod project-root ((project (head tally)))
  (cdr project))

(add-hook 'project-find-functions #'tally--project-find)

(defun tally--settings ()
  "What the server reads as configuration: (:tally (:diagnostics PLIST))."
  (list :tally (list :diagnostics (or tally-diagnostics (make-hash-table)))))

(defclass tally-server (eglot-lsp-server) ()
  :documentation "tally's language server.")

(cl-defmethod eglot-initialization-options ((_server tally-server))
  (tally--settings))

(defun tally--contact (&optional _interactive)
  "How eglot starts the server."
  (list 'tally-server tally-program "lsp"))

(add-to-list 'eglot-server-programs (cons tally-modes #'tally--contact))

(defvar tally-mode-map (make-sparse-keymap)
  "Keys for `tally-mode' (none by default; see the Commentary).")

(define-minor-mode tally-mode
  "Minor mode in articles that tally's server manages; holds `tally-mode-map'."
  :lighter " tally"
  :keymap tally-mode-map)

;;;###autoload
(defun tally-eglot-ensure ()
  "Start (or join) tally's server for this buffer when it is an article inside a corpus."
  (when (and buffer-file-name (tally-root))
    (setq-local eglot-workspace-configuration (tally--settings))
    (tally-mode 1)
    (eglot-ensure)))

;; ----- commands ----------------------------------------------------------------------------

(defun tally--server ()
  (or (eglot-current-server)
      (user-error "tally: no server for this buffer (is it an article inside a folder with tally.toml?)")))

(defun tally--uri-to-path (uri)
  (if (fboundp 'eglot-uri-to-path) (eglot-uri-to-path uri) (eglot--uri-to-path uri)))

(defun tally--goto-location (loc)
  "Visit the LSP location LOC (a plist) and put point at its start."
  (let* ((file (tally--uri-to-path (plist-get loc :uri)))
         (start (plist-get (plist-get loc :range) :start)))
    (xref-push-marker-stack)
    (find-file file)
    (goto-char (eglot--lsp-position-to-point start))))

(defun tally--claim (command)
  (let* ((server (tally--server))
         (params (eglot--TextDocumentPositionParams))
         (uri (plist-get (plist-get params :textDocument) :uri))
         (loc (jsonrpc-request server :workspace/executeCommand
                               (list :command command
                                     :arguments (vector uri (plist-get params :position))))))
    (if loc
        (tally--goto-location loc)
      (message "tally: no claim of an event at point"))
    loc))

(defun tally-next-claim ()
  "Jump to the next claim of the event at point (the server's `tally.nextClaim')."
  (interactive)
  (tally--claim "tally.nextClaim"))

(defun tally-previous-claim ()
  "Jump to the previous claim of the event at point (the server's `tally.previousClaim')."
  (interactive)
  (tally--claim "tally.previousClaim"))

(defun tally-readings ()
  "List every reading of the event at point (find references)."
  (interactive)
  (tally--server)
  (let ((backend (xref-find-backend)))
    (xref-find-references (xref-backend-identifier-at-point backend))))

(provide 'tally)
;;; tally.el ends here
