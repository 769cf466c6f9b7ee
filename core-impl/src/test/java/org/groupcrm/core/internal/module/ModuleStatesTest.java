package org.groupcrm.core.internal.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Set;

import org.groupcrm.core.api.module.ModuleState;
import org.junit.jupiter.api.Test;

/** {@link ModuleStates}: who a state puts a module in force for, and dependency coverage. */
class ModuleStatesTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    private static ModuleStates state(ModuleState s, Set<String> pilots, LocalDate from) {
        return new ModuleStates(s, pilots, from);
    }

    @Test
    void onIsForEveryoneFromItsDate() {
        assertTrue(state(ModuleState.ON, Set.of(), null).inForce("anyone", TODAY));
        assertTrue(state(ModuleState.ON, Set.of(), TODAY).inForce("anyone", TODAY));
        assertFalse(state(ModuleState.ON, Set.of(), TODAY.plusDays(1)).inForce("anyone", TODAY));
    }

    @Test
    void pilotIsForPilotsOnly() {
        ModuleStates pilot = state(ModuleState.PILOT, Set.of("li"), null);
        assertTrue(pilot.inForce("li", TODAY));
        assertFalse(pilot.inForce("wang", TODAY));
        assertFalse(state(ModuleState.PILOT, Set.of("li"), TODAY.plusDays(1)).inForce("li", TODAY));
    }

    @Test
    void offIsForNobody() {
        assertFalse(ModuleStates.OFF.inForce("li", TODAY));
    }

    @Test
    void dependencyCoverage() {
        ModuleStates on = state(ModuleState.ON, Set.of(), null);
        ModuleStates onLater = state(ModuleState.ON, Set.of(), TODAY.plusDays(5));
        ModuleStates pilotLi = state(ModuleState.PILOT, Set.of("li"), null);
        ModuleStates pilotLiWang = state(ModuleState.PILOT, Set.of("li", "wang"), null);
        assertTrue(ModuleStates.OFF.coveredBy(ModuleStates.OFF), "an OFF module needs nothing");
        assertTrue(on.coveredBy(on));
        assertFalse(on.coveredBy(pilotLiWang), "everyone cannot rely on a pilot");
        assertTrue(pilotLi.coveredBy(pilotLiWang));
        assertFalse(pilotLiWang.coveredBy(pilotLi));
        assertTrue(pilotLi.coveredBy(on));
        assertFalse(on.coveredBy(onLater), "in force earlier than what it requires");
        assertTrue(onLater.coveredBy(on));
        assertFalse(on.coveredBy(ModuleStates.OFF));
    }

    @Test
    void pilotListsRoundTrip() {
        assertEquals("a,b,c", ModuleStates.join(Set.of("c", "a", "b")));
        assertEquals(Set.of("a", "b"), ModuleStates.split("a,b,"));
        assertEquals(Set.of(), ModuleStates.split(""));
        assertEquals(Set.of(), ModuleStates.split(null));
    }
}
