/**
 * MediCLIP for Java, examples: the {@code mediclip} command-line tool ({@code
 * io.github.mediclip.cli}) and the runnable examples ({@code io.github.mediclip.examples}). {@code
 * mediclip.jar} runs on the class path.
 */
module io.github.mediclip.examples {
  // The examples' public classes use synth, core and eval types (eval requires core and synth
  // transitively).
  requires transitive io.github.mediclip.eval;
  requires info.picocli;
  requires com.google.gson;

  exports io.github.mediclip.examples;

  // picocli injects the annotated options reflectively; Gson writes the JSON lines.
  opens io.github.mediclip.cli to
      info.picocli,
      com.google.gson;
}
