package org.neurite.tensor;

import org.neurite.tensor.spi.BackendProvider;
import java.util.ServiceLoader;
import java.util.List;

/**
 * Finds backends and picks one.
 *
 * <p>The spec comes from the argument, else the system property {@code neurite.backend}, else the
 * environment variable {@code NEURITE_BACKEND}, else {@code auto}. It names one backend or an ordered
 * list of them, the first that can be created winning:
 * <pre>
 *   auto                 the available backend with the highest priority (CPU is always last)
 *   cpu                  the pure-Java backend (options: cpu:threads=N, cpu:scalar)
 *   cuda, cuda:1         a CUDA device, by index
 *   opencl, opencl:gpu, opencl:cpu, opencl:0:1   an OpenCL device, by type or platform:device
 *   cuda,opencl,cpu      try in this order
 * </pre>
 * An unknown name fails at once, and so does a spec none of whose entries can be created; both messages
 * carry the table of every backend and why it is or is not available. Each skipped entry logs one line.
 *
 * <pre>{@code
 * try (Backend backend = Backends.create()) { ... }   // honours -Dneurite.backend=...
 * System.out.println(Backends.describe());           // what is available here, and why not
 * }</pre>
 */
public final class Backends {
    /** The system property that selects the backend. */
    public static final String PROPERTY = "neurite.backend";
    /** The environment variable that selects the backend when the property is absent. */
    public static final String ENVIRONMENT = "NEURITE_BACKEND";

    private static volatile BackendRegistry registry;

    private Backends() {
    }

    /** Creates the backend the configuration asks for (see the class comment). */
    public static Backend create() {
        return create(configuredSpec());
    }

    /** Creates the backend {@code spec} names (see the class comment). */
    public static Backend create(String spec) {
        return registry().create(spec);
    }

    /** The spec in force: the property, else the environment variable, else {@code auto}. */
    public static String configuredSpec() {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            spec = System.getenv(ENVIRONMENT);
        }
        return spec == null || spec.isBlank() ? "auto" : spec.trim();
    }

    /** Every installed backend, highest priority first, with its probe's verdict. */
    public static List<BackendInfo> list() {
        return registry().list();
    }

    /** The backend table as text, one line per backend: name, priority, availability and reason. */
    public static String describe() {
        return registry().describe();
    }

    private static BackendRegistry registry() {
        BackendRegistry r = registry;
        if (r == null) {
            synchronized (Backends.class) {
                r = registry;
                if (r == null) {
                    List<BackendProvider> found = ServiceLoader.load(BackendProvider.class,
                            Backends.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();
                    registry = r = new BackendRegistry(found);
                }
            }
        }
        return r;
    }
}
