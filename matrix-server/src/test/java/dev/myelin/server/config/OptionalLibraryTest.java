package dev.myelin.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionalLibraryTest {
    @Test
    void librariesOfTheRunnableJarArePresentHere() {
        assertThat(OptionalLibrary.JSOUP.present()).isTrue();
        assertThat(OptionalLibrary.REPLICATION.present()).isTrue();
        OptionalLibrary.JSOUP.require();
    }

    @Test
    void aMissingLibraryIsAConfigErrorNamingTheArtifact() {
        OptionalLibrary missing = new OptionalLibrary("org.example.Absent", "org.example:absent", "Absent things");

        assertThat(missing.present()).isFalse();
        assertThatThrownBy(missing::require)
                .isInstanceOf(ConfigException.class)
                .hasMessage("Absent things need org.example:absent on the class path: it is an optional dependency"
                        + " of dev.myelin:matrix-server, so add it to your project's dependencies");
    }
}
