package dev.myelin.storage.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayeredMapTest {
    @Test
    void behavesAsAPlainMapThroughManySmallChangesAndFolds() {
        Random random = new Random(42);
        Map<Integer, String> reference = new HashMap<>();
        LayeredMap<Integer, String> map = LayeredMap.empty();
        for (int round = 0; round < 3_000; round++) {
            Map<Integer, Optional<String>> changes = new HashMap<>();
            int count = round == 0 ? 500 : 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                int key = random.nextInt(2_000);
                Optional<String> value = random.nextInt(4) == 0 ? Optional.empty() : Optional.of("v" + round);
                changes.put(key, value);
            }
            LayeredMap<Integer, String> before = map;
            Map<Integer, String> referenceBefore = new HashMap<>(reference);
            changes.forEach((k, v) -> {
                if (v.isPresent()) {
                    reference.put(k, v.get());
                } else {
                    reference.remove(k);
                }
            });
            map = map.with(changes);
            assertThat(before).as("an earlier snapshot is unchanged").isEqualTo(referenceBefore);
            if (round % 97 == 0) {
                assertThat(map).isEqualTo(reference);
                assertThat(map.size()).isEqualTo(reference.size());
                assertThat(Map.copyOf(map)).isEqualTo(reference);
            }
            int probe = random.nextInt(2_000);
            assertThat(map.get(probe)).isEqualTo(reference.get(probe));
            assertThat(map.containsKey(probe)).isEqualTo(reference.containsKey(probe));
        }
        assertThat(map).isEqualTo(reference);
        LayeredMap<Integer, String> last = map;
        assertThatThrownBy(() -> last.put(1, "x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
