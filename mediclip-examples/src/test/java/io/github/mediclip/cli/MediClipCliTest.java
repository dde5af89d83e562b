package io.github.mediclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit codes, error lines and help of every command. */
class MediClipCliTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "info",
        "demo",
        "init-backbone",
        "train",
        "detect",
        "evaluate",
        "sweep",
        "synth-preview",
        "synth-stats",
        "metrics",
        "parity"
      })
  void everyCommandHasHelp(String command) {
    CliTestSupport.Result r = CliTestSupport.run(command, "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: mediclip " + command);
  }

  @Test
  void missingCommandIsAUsageErrorOnOneLine() {
    CliTestSupport.Result r = CliTestSupport.run();
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
    assertThat(r.err())
        .isEqualTo("mediclip: missing command (see 'mediclip --help')" + System.lineSeparator());
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    CliTestSupport.Result r = CliTestSupport.run("parity", "--fixture", "x");
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
    assertThat(r.err())
        .startsWith("mediclip: Missing required option: '--out=<out>'")
        .doesNotContain("\tat ");
    assertThat(r.err().strip().lines()).hasSize(1);
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliTestSupport.Result r = CliTestSupport.run("info", "--bogus");
    assertThat(r.exitCode()).isEqualTo(MediClipCli.EXIT_USAGE);
    assertThat(r.err()).startsWith("mediclip: Unknown option: '--bogus'");
  }

  @Test
  void infoStartsTheEngineAndPrintsRealVersions() {
    CliTestSupport.Result r = CliTestSupport.run("info", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonObject o = JsonParser.parseString(r.lastLine()).getAsJsonObject();
    assertThat(o.get("library").getAsString())
        .isEqualTo(System.getProperty("mediclip.expected.version", o.get("library").getAsString()))
        .isNotEqualTo("unknown");
    assertThat(o.get("djl").getAsString()).isEqualTo(ai.djl.engine.Engine.getDjlVersion());
    assertThat(o.get("pytorch").getAsString()).startsWith("2.7.1");
    assertThat(o.get("device").getAsString()).isNotBlank();
    assertThat(o.get("synthesizers").isJsonArray()).isTrue();
  }

  @Test
  void versionComesFromTheBuild() {
    CliTestSupport.Result r = CliTestSupport.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().strip()).matches("mediclip \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }
}
