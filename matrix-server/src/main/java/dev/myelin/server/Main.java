package dev.myelin.server;

/**
 * Command-line entry point of the homeserver jar.
 *
 * <p>The homeserver itself lands in later releases; until then this prints the version and exits
 * so that the documented start command stays true.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String version = Main.class.getPackage().getImplementationVersion();
        System.out.println("Myelin " + (version == null ? "development build" : version));
    }
}
