package dev.myelin.testing.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Java shown in README.md and docs/testing.md is {@link FirstTest} and {@link FirstBridgeTest},
 * and the reminder bot's test in docs/examples/reminder-bot, word for word: those classes compile and run with the other tests, and this test fails as soon as
 * the documents and the classes drift apart. Change both together.
 */
class DocSnippetsTest {

    /** The repository root: Surefire runs each module's tests in the module's directory. */
    private static final Path ROOT = Path.of("..");

    private static String firstTestAsDocumented() throws IOException {
        return asDocumented("FirstTest");
    }

    private static String asDocumented(String className) throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/myelin/testing/docs/" + className + ".java"));
        String packageLine = "package dev.myelin.testing.docs;\n\n";
        assertThat(source).startsWith(packageLine);
        return "```java\n" + source.substring(packageLine.length()) + "```\n";
    }

    @Test
    void readmeShowsFirstTestVerbatim() throws IOException {
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains(firstTestAsDocumented());
    }

    @Test
    void testingGuideShowsFirstTestVerbatim() throws IOException {
        assertThat(Files.readString(ROOT.resolve("docs/testing.md"))).contains(firstTestAsDocumented());
    }

    @Test
    void testingGuideShowsTheReminderBotTestVerbatim() throws IOException {
        String source = Files.readString(
                ROOT.resolve("docs/examples/reminder-bot/src/test/java/org/example/reminderbot/ReminderBotTest.java"));
        String packageLine = "package org.example.reminderbot;\n\n";
        assertThat(source).startsWith(packageLine);
        assertThat(Files.readString(ROOT.resolve("docs/testing.md")))
                .contains("```java\n" + source.substring(packageLine.length()) + "```\n");
    }

    @Test
    void testingGuideShowsFirstBridgeTestVerbatim() throws IOException {
        assertThat(Files.readString(ROOT.resolve("docs/testing.md"))).contains(asDocumented("FirstBridgeTest"));
    }
}
