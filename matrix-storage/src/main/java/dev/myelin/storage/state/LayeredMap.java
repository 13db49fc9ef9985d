package dev.myelin.storage.state;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable map made of a large base and a small layer of changes on top of it, so that a changed
 * copy costs the size of the layer, not of the whole map: the current state of a 10,000-member room
 * changes by one key per join. The layer is folded into a new base once it has grown to a sixteenth of
 * the base, which keeps reads at two lookups and the copying amortised to a constant per change.
 */
final class LayeredMap<K, V> extends AbstractMap<K, V> {
    private static final int MIN_LAYER = 64;

    private final Map<K, V> base;
    // a key mapped to empty is removed from the base
    private final Map<K, Optional<V>> layer;
    private final int size;

    private LayeredMap(Map<K, V> base, Map<K, Optional<V>> layer, int size) {
        this.base = base;
        this.layer = layer;
        this.size = size;
    }

    /** The empty map. */
    static <K, V> LayeredMap<K, V> empty() {
        return new LayeredMap<>(Map.of(), Map.of(), 0);
    }

    /** This map with each key of {@code changes} set to its value, or removed where empty. */
    LayeredMap<K, V> with(Map<K, Optional<V>> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Map<K, Optional<V>> newLayer = new HashMap<>(layer);
        int newSize = size;
        for (Map.Entry<K, Optional<V>> change : changes.entrySet()) {
            boolean had = containsKey(change.getKey());
            boolean has = change.getValue().isPresent();
            newSize += (has ? 1 : 0) - (had ? 1 : 0);
            if (!has && !base.containsKey(change.getKey())) {
                newLayer.remove(change.getKey());
            } else {
                newLayer.put(change.getKey(), change.getValue());
            }
        }
        if (newLayer.size() <= Math.max(MIN_LAYER, base.size() / 16)) {
            return new LayeredMap<>(base, Collections.unmodifiableMap(newLayer), newSize);
        }
        Map<K, V> folded = new HashMap<>(base);
        newLayer.forEach((k, v) -> {
            if (v.isPresent()) {
                folded.put(k, v.get());
            } else {
                folded.remove(k);
            }
        });
        return new LayeredMap<>(Collections.unmodifiableMap(folded), Map.of(), newSize);
    }

    @Override
    public V get(Object key) {
        Optional<V> changed = layer.get(key);
        if (changed != null) {
            return changed.orElse(null);
        }
        return base.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        Optional<V> changed = layer.get(key);
        return changed != null ? changed.isPresent() : base.containsKey(key);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new Iterator<>() {
                    private final Iterator<Entry<K, V>> fromBase =
                            base.entrySet().iterator();
                    private final Iterator<Entry<K, Optional<V>>> fromLayer =
                            layer.entrySet().iterator();
                    private Entry<K, V> next = advance();

                    private Entry<K, V> advance() {
                        while (fromBase.hasNext()) {
                            Entry<K, V> e = fromBase.next();
                            if (!layer.containsKey(e.getKey())) {
                                return e;
                            }
                        }
                        while (fromLayer.hasNext()) {
                            Entry<K, Optional<V>> e = fromLayer.next();
                            if (e.getValue().isPresent()) {
                                return new SimpleImmutableEntry<>(
                                        e.getKey(), e.getValue().get());
                            }
                        }
                        return null;
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public Entry<K, V> next() {
                        if (next == null) {
                            throw new NoSuchElementException();
                        }
                        Entry<K, V> out = next;
                        next = advance();
                        return out;
                    }
                };
            }
        };
    }
}
