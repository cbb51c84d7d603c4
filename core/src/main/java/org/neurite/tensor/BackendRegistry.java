package org.neurite.tensor;

import org.neurite.tensor.spi.BackendProvider;
import org.neurite.tensor.spi.Availability;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The providers and the spec grammar, apart from the ServiceLoader so that tests can hand in fakes. */
final class BackendRegistry {
    private static final System.Logger LOG = System.getLogger("org.neurite.backend");

    private final List<BackendProvider> providers;

    BackendRegistry(List<BackendProvider> providers) {
        List<BackendProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(BackendProvider::priority).reversed()
                .thenComparing(BackendProvider::name));
        this.providers = List.copyOf(sorted);
    }

    List<BackendInfo> list() {
        List<BackendInfo> out = new ArrayList<>();
        for (BackendProvider p : providers) {
            out.add(new BackendInfo(p.name(), p.priority(), safeProbe(p)));
        }
        return out;
    }

    String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s %8s  %s%n", "backend", "priority", "status"));
        for (BackendInfo info : list()) {
            sb.append(String.format(Locale.ROOT, "%-8s %8d  %s%n", info.name(), info.priority(), info.availability()));
        }
        if (providers.isEmpty()) {
            sb.append("(no backend installed: add neurite-cpu to the class path)\n");
        }
        return sb.toString();
    }

    Backend create(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("backend spec is empty\n" + describe());
        }
        // The whole spec is validated before anything is created: a typo fails even behind a working entry.
        List<String[]> entries = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("backend spec '" + spec + "' has an empty entry\n" + describe());
            }
            int colon = entry.indexOf(':');
            String name = (colon < 0 ? entry : entry.substring(0, colon)).toLowerCase(Locale.ROOT);
            if (!name.equals("auto") && find(name) == null) {
                throw new IllegalArgumentException("unknown backend '" + name + "' in spec '" + spec
                        + "'; installed backends:\n" + describe());
            }
            entries.add(new String[] {entry, name, colon < 0 ? "" : entry.substring(colon + 1)});
        }
        Map<String, String> skipped = new LinkedHashMap<>();
        for (String[] e : entries) {
            if (e[1].equals("auto")) {
                for (BackendProvider p : providers) {
                    Backend b = tryCreate(p, "", p.name(), skipped);
                    if (b != null) {
                        return b;
                    }
                }
            } else {
                Backend b = tryCreate(find(e[1]), e[2], e[0], skipped);
                if (b != null) {
                    return b;
                }
            }
        }
        StringBuilder why = new StringBuilder("no backend of spec '" + spec + "' could be created:\n");
        skipped.forEach((entry, reason) -> why.append("  ").append(entry).append(": ").append(reason).append('\n'));
        throw new IllegalStateException(why.append("installed backends:\n").append(describe()).toString());
    }

    private BackendProvider find(String name) {
        for (BackendProvider p : providers) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static Backend tryCreate(BackendProvider p, String options, String entry, Map<String, String> skipped) {
        if (skipped.containsKey(entry)) {
            return null;
        }
        Availability a = safeProbe(p);
        if (!a.available()) {
            skip(entry, a.detail(), skipped);
            return null;
        }
        try {
            Backend b = p.create(options);
            if (b == null) {
                skip(entry, "provider " + p.getClass().getName() + " returned no backend", skipped);
            }
            return b;
        } catch (RuntimeException | LinkageError e) {
            skip(entry, e.getClass().getSimpleName() + ": " + e.getMessage(), skipped);
            return null;
        }
    }

    private static void skip(String entry, String reason, Map<String, String> skipped) {
        skipped.put(entry, reason);
        LOG.log(System.Logger.Level.DEBUG, "neurite: skipping backend " + entry + ": " + reason);
    }

    /** A probe that breaks its promise not to throw is reported as unavailable, not propagated. */
    static Availability safeProbe(BackendProvider p) {
        try {
            Availability a = p.probe();
            return a != null ? a : Availability.unavailable("probe returned nothing");
        } catch (Throwable t) {
            return Availability.unavailable("probe failed: " + t);
        }
    }
}
