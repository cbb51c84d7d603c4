package org.neurite.nn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The layer classes a model file can name, as Keras's {@code register_keras_serializable}: each {@code "class"}
 * in a saved architecture maps to a factory that rebuilds the layer from its {@link Layer#config()}. The
 * built-in layers are registered; register your own once, before saving or loading a model that holds them:
 *
 * <pre>{@code
 * LayerRegistry.register("my.Scale", config -> new Scale((String) config.get("name")));
 * }</pre>
 * The factory gets the saved object as parsed JSON (numbers are {@code Double}s), and should validate what it
 * reads: a bad value it throws on is reported as a corrupt file. Saving refuses a layer whose class is not
 * registered, and {@link ModelCheckpoint} refuses a model holding one before training starts.
 */
public final class LayerRegistry {
    private static final Map<String, Function<Config, Layer>> FACTORIES = new ConcurrentHashMap<>();
    private static final java.util.Set<String> BUILT_IN = java.util.Set.of("Dense", "Concatenate", "Flatten", "Dropout",
            "ActivationLayer", "Normalization");

    static {
        FACTORIES.put("Dense", Dense::fromConfig);
        FACTORIES.put("Concatenate", c -> new Concatenate(c.string("name")));
        FACTORIES.put("Flatten", c -> new Flatten(c.string("name")));
        FACTORIES.put("Dropout", c -> {
            double rate = c.number("rate");
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException(c.where() + ": 'rate' must be in [0, 1), got " + rate);
            }
            return new Dropout(c.string("name"), (float) rate);
        });
        FACTORIES.put("ActivationLayer", ActivationLayer::fromConfig);
        FACTORIES.put("Normalization", c -> new Normalization(c.string("name")));
    }

    private LayerRegistry() {
    }

    /**
     * Registers {@code className} (the {@code "class"} value of the layer's {@link Layer#config()}), replacing a
     * user registration of the same name; the built-in names cannot be replaced.
     */
    public static void register(String className, Function<Map<String, Object>, ? extends Layer> fromConfig) {
        if (className == null || className.isBlank()) {
            throw new IllegalArgumentException("LayerRegistry: a class name is needed");
        }
        if (BUILT_IN.contains(className)) {
            throw new IllegalArgumentException("LayerRegistry: '" + className + "' is a built-in layer; choose another "
                    + "name (a package-like prefix such as 'com.example.MyLayer' avoids clashes)");
        }
        FACTORIES.put(className, c -> fromConfig.apply(c.asMap()));
    }

    /** Whether a layer class of this name can be loaded. */
    public static boolean isRegistered(String className) {
        return FACTORIES.containsKey(className);
    }

    static Layer create(Config c) {
        String kind = c.string("class");
        Function<Config, Layer> f = FACTORIES.get(kind);
        if (f == null) {
            throw new IllegalArgumentException(c.where() + ": unknown layer class '" + kind
                    + "' (register it with LayerRegistry.register before loading)");
        }
        Layer layer = f.apply(c);
        if (layer == null) {
            throw new IllegalArgumentException(c.where() + ": the factory of '" + kind + "' returned null");
        }
        return layer;
    }

    /**
     * Why {@code layer} cannot be saved, or null if it can: it has no config, or its class is not registered.
     */
    static String unsaveable(Layer layer) {
        Map<String, Object> c = layer.config();
        String type = layer.getClass().getSimpleName();
        if (c == null) {
            return "layer " + layer.name() + " (" + type + ") cannot be saved: it has no config(); override config() "
                    + "and register its class with LayerRegistry.register";
        }
        Object kind = c.get("class");
        if (!(kind instanceof String) || !isRegistered((String) kind)) {
            return "layer " + layer.name() + " (" + type + ") cannot be saved: its config's class " + kind
                    + " is not registered (LayerRegistry.register)";
        }
        return null;
    }
}
