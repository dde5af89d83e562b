package io.github.mediclip.cli;

/** Entry point of the {@code mediclip} command-line tool (placeholder until the CLI lands). */
public final class MediClipCli {
    private MediClipCli() {}

    /**
     * Runs the tool.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
