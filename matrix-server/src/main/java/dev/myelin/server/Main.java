package dev.myelin.server;

import dev.myelin.server.cli.Cli;

/**
 * Command-line entry point of the homeserver jar ({@code matrix-server/target/myelin.jar}). The
 * commands and their exit codes are described in {@code docs/running.md}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = new Cli(System.out, System.err).run(args);
        if (code != Cli.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
