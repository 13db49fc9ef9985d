package dev.myelin.server.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed {@code --flag value} and {@code --switch} arguments of one command. Unknown flags are an
 * error, so a typo never silently falls back to a default. A flag given twice keeps its last
 * value for {@link #value}, and all of them, in order, for {@link #values}; a short alias (such as
 * {@code -c} for {@code --config}) counts as its long flag.
 */
final class CommandLine {
    private final String command;
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> switches = new ArrayList<>();

    private CommandLine(String command) {
        this.command = command;
    }

    static CommandLine parse(String command, List<String> args, Set<String> valueFlags, Set<String> switchFlags) {
        return parse(command, args, valueFlags, switchFlags, Map.of());
    }

    /** Also takes each key of {@code aliases} as the flag it maps to. */
    static CommandLine parse(
            String command,
            List<String> args,
            Set<String> valueFlags,
            Set<String> switchFlags,
            Map<String, String> aliases) {
        CommandLine line = new CommandLine(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = aliases.getOrDefault(arg, arg);
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
                line.values.computeIfAbsent(name, k -> new ArrayList<>()).add(inlineValue);
            } else if (switchFlags.contains(name) && inlineValue == null) {
                line.switches.add(name);
            } else {
                throw new UsageException(command + ": unknown argument '" + arg + "'");
            }
        }
        return line;
    }

    Optional<String> value(String flag) {
        List<String> given = values.getOrDefault(flag, List.of());
        return given.isEmpty() ? Optional.empty() : Optional.of(given.getLast());
    }

    /** Every value of a repeatable flag, in the order given; at least one. */
    List<String> requiredValues(String flag) {
        List<String> given = values.getOrDefault(flag, List.of());
        if (given.isEmpty()) {
            throw new UsageException(command + ": " + flag + " is required");
        }
        return List.copyOf(given);
    }

    String required(String flag) {
        return value(flag).orElseThrow(() -> new UsageException(command + ": " + flag + " is required"));
    }

    boolean has(String flag) {
        return switches.contains(flag);
    }
}
