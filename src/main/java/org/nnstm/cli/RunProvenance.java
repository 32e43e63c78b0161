package org.nnstm.cli;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnstm.io.RunManifest;
import org.nnstm.run.RunStore;
import org.nnstm.tensor.Backend;
import picocli.CommandLine.Model.CommandSpec;

/** The provenance of a command's run ({@link RunManifest.Provenance}) from its parsed options. */
final class RunProvenance {
  private RunProvenance() {}

  /** The number of threads the run computes with ({@code --threads}, else every available processor). */
  static int threads(BackendOptions o) {
    return o.threads();
  }

  /** This process's provenance: the backend opened, its threads, and the full command line. */
  static RunManifest.Provenance of(CommandSpec spec, BackendOptions o, Backend backend) {
    return RunManifest.Provenance.current(backend.name(), threads(o), args(spec));
  }

  /**
   * Opens {@code out} as the run's store ({@link RunStore}) for {@code command} with {@code settings}: the
   * manifest is written when new, checked when present (refusing other settings, naming them). Call where the
   * output directory is opened.
   */
  static RunStore store(String command, Map<String, String> settings, CommandSpec spec, BackendOptions o,
                        Backend backend, Path out) throws IOException {
    return RunStore.open(out, new RunManifest(command, settings, of(spec, o, backend)));
  }

  /**
   * The read-only check of {@link #store}: refuses at once, before data is loaded or a backend opened, when
   * {@code out} holds a manifest with other settings.
   */
  static void check(String command, Map<String, String> settings, Path out) throws IOException {
    new RunManifest(command, settings, null).check(out);
  }

  /**
   * A record's components as settings (arrays as their elements, nested records by their toString), then
   * {@code extra} name/value pairs.
   */
  static Map<String, String> settings(Record plan, Object... extra) {
    Map<String, String> s = new LinkedHashMap<>();
    for (RecordComponent c : plan.getClass().getRecordComponents()) {
      try {
        s.put(c.getName(), text(c.getAccessor().invoke(plan)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("reading " + c.getName() + " of " + plan.getClass().getSimpleName(), e);
      }
    }
    for (int i = 0; i + 1 < extra.length; i += 2) {
      s.put(String.valueOf(extra[i]), text(extra[i + 1]));
    }
    return s;
  }

  /** Settings written as "name=value name=value ..." (values without spaces), as a map. */
  static Map<String, String> settings(String pairs) {
    Map<String, String> s = new LinkedHashMap<>();
    for (String w : pairs.strip().split("\\s+")) {
      int eq = w.indexOf('=');
      if (eq > 0) {
        s.put(w.substring(0, eq), w.substring(eq + 1));
      }
    }
    return s;
  }

  private static String text(Object v) {
    if (v == null) {
      return "none";
    }
    if (v.getClass().isArray()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < Array.getLength(v); i++) {
        sb.append(i == 0 ? "" : ",").append(text(Array.get(v, i)));
      }
      return sb.toString();
    }
    return v.toString();
  }

  /** The full command line as given (subcommand included). */
  static List<String> args(CommandSpec spec) {
    return spec.commandLine().getParseResult().originalArgs();
  }
}
