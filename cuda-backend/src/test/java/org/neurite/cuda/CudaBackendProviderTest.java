package org.neurite.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurite.tensor.BackendInfo;
import org.neurite.tensor.Backends;

class CudaBackendProviderTest {
    @Test
    void isFoundByServiceLoaderAndReportsWhyItIsUnavailable() {
        BackendInfo info = Backends.list().stream().filter(i -> i.name().equals("cuda")).findFirst().orElseThrow();
        assertEquals(100, info.priority());
        assertFalse(info.availability().available());
        assertTrue(Backends.describe().contains("not built yet"), Backends::describe);
    }

    @Test
    void creatingItFailsWithTheTable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.create("cuda"));
        assertTrue(e.getMessage().contains("cuda") && e.getMessage().contains("not built yet"), e::getMessage);
    }
}
