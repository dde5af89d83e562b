/**
 * MediCLIP for Java, evaluation: exact metrics (AUROC, AP, F1-max, AUPRO, curves, bootstrap
 * intervals), dataset readers (MediCLIP, MVTec-like and plain layouts), the phantom dataset, the
 * evaluator with its report folder, and k-shot sweeps. Report writers are internal (not exported).
 */
// "module": the qualified export below names a module that is compiled after this one (javac cannot
// see it yet).
@SuppressWarnings("module")
module io.github.mediclip.eval {
  requires transitive io.github.mediclip.core;
  requires com.google.gson;

  exports io.github.mediclip.eval;
  exports io.github.mediclip.eval.data;
  exports io.github.mediclip.eval.metrics;
  exports io.github.mediclip.eval.phantom;
  // Output-folder rules (OutputFolders), shared with the command-line tool only.
  exports io.github.mediclip.eval.internal to
      io.github.mediclip.examples;

  opens io.github.mediclip.eval to
      com.google.gson;
}
