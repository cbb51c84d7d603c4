package org.neurite.nn;

import org.junit.jupiter.api.Nested;
import org.neurite.classic.ClassicConformance;
import org.neurite.tensor.Backend;

/**
 * The nn stack's whole suite in one class (models, functional graphs, layers, callbacks, model files, the
 * classic units), so that a backend module runs it with one subclass:
 * <pre>{@code
 * class MyBackendModelTest extends ModelConformanceSuite {
 *     protected Backend createBackend() { return new MyBackend(); }
 * }
 * }</pre>
 */
public abstract class ModelConformanceSuite {

    /** A fresh backend under test. */
    protected abstract Backend createBackend();

    @Nested
    class Models extends SequentialConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Functional extends FunctionalConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Layers extends LayersConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Callbacks extends CallbackConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class CustomLayers extends CustomLayerConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Subclassing extends SubclassingConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class DataPipelines extends DatasetConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Tuning extends TuningConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class CustomLosses extends CustomLossConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class MetricSuite extends MetricsConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class KerasFidelity extends KerasFidelityConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class ModelFiles extends SaveLoadConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }

    @Nested
    class Classic extends ClassicConformance {
        @Override
        protected Backend createBackend() {
            return ModelConformanceSuite.this.createBackend();
        }
    }
}
