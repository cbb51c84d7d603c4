package org.neurite.tensor;

/** One row of the backend table: a provider's name, priority, and what its probe found. */
public record BackendInfo(String name, int priority, Availability availability) {
}
