package org.neurite.tensor.spi;

import org.neurite.tensor.Backend;

/**
 * The service a backend module registers in
 * {@code META-INF/services/org.neurite.tensor.spi.BackendProvider}; {@link org.neurite.tensor.Backends} finds it with
 * {@link java.util.ServiceLoader}.
 */
public interface BackendProvider {

    /** The name used in backend specs: {@code cpu}, {@code cuda}, {@code opencl}. Lower case. */
    String name();

    /** Higher wins in {@code auto}. CPU is 0 and always last; accelerators are above it. */
    int priority();

    /**
     * Whether this backend can run here, and why not. Must never throw, not even an {@link Error} such as
     * {@link UnsatisfiedLinkError}: catch it and return {@link Availability#unavailable} with the reason.
     * Should be cheap after the first call (cache the result).
     */
    Availability probe();

    /**
     * Creates a backend. {@code options} is what followed {@code name:} in the spec ({@code "1"} for
     * {@code cuda:1}, {@code "gpu"} for {@code opencl:gpu}), or the empty string.
     *
     * @throws IllegalArgumentException if the options are malformed or name a device that does not exist
     * @throws IllegalStateException if the backend is unavailable
     */
    Backend create(String options);
}
