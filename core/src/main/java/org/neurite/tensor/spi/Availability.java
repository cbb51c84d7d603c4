package org.neurite.tensor.spi;

/**
 * What a provider's probe found: available with a device description, or unavailable with the reason
 * (no driver library, no device, ...). A probe returns this; it never throws.
 */
public record Availability(boolean available, String detail) {

    public static Availability available(String device) {
        return new Availability(true, device);
    }

    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }

    @Override
    public String toString() {
        return (available ? "available: " : "unavailable: ") + detail;
    }
}
