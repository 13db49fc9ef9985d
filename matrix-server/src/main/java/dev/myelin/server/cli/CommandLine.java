package dev.myelin.server.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed {@code --flag value} and {@code --switch} arguments of one command. Unknown flags are an
 * error, so a typo never silently falls back to a default.
 */
final class CommandLine {
    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final List<String> switches = new ArrayList<>();

    private CommandLine(String command) {
        this.command = command;
    }

    static CommandLine parse(String command, List<String> args, Set<String> valueFlags, Set<String> switchFlags) {
        CommandLine line = new CommandLine(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            if (valueFlags.contains(name)) {
                if (inlineValue == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException(command + ": " + name + " needs a value");
                    }
                    inlineValue = args.get(++i);
                }
                line.values.put(name, inlineValue);
            } else if (switchFlags.contains(name) && inlineValue == null) {
                line.switches.add(name);
            } else {
                throw new UsageException(command + ": unknown argument '" + arg + "'");
            }
        }
        return line;
    }

    Optional<String> value(String flag) {
        return Optional.ofNullable(values.get(flag));
    }

    String required(String flag) {
        return value(flag).orElseThrow(() -> new UsageException(command + ": " + flag + " is required"));
    }

    boolean has(String flag) {
        return switches.contains(flag);
    }
}
