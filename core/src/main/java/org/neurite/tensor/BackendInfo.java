package org.neurite.tensor;

import org.neurite.tensor.spi.Availability;

/** One row of the backend table: a provider's name, priority, and what its probe found. */
public record BackendInfo(String name, int priority, Availability availability) {

    /** Whether the backend can be created here. */
    public boolean available() {
        return availability.available();
    }

    /** The probe's detail: the device, or why the backend is unavailable. */
    public String detail() {
        return availability.detail();
    }
}
