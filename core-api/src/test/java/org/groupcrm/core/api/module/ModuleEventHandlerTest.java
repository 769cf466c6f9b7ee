package org.groupcrm.core.api.module;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.event.CrmEventProperties;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/** {@link ModuleEventHandler}: a module's handler only sees events of subsidiaries where it is in force. */
class ModuleEventHandlerTest {

    /** In force: memo ON in S1; PILOT in S2 for pilot-1 only. */
    private static final class Modules implements ModuleService {
        final List<String> asked = new ArrayList<>();

        @Override
        public boolean inForce(String subsidiary, String login, String module) {
            asked.add(subsidiary + "/" + login + "/" + module);
            return "memo".equals(module) && ("S1".equals(subsidiary) || ("S2".equals(subsidiary) && "pilot-1".equals(login)));
        }

        @Override
        public Set<String> subsidiariesInForce(String module) {
            return Set.of("S1", "S2");
        }

        @Override
        public List<ModuleDTO> installed(CallerContext caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ModuleStateDTO> states(CallerContext caller, String subsidiary) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ModuleStateDTO setState(CallerContext caller, String subsidiary, String module, ModuleStateDTO state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ModuleStateDTO> history(CallerContext caller, String subsidiary, String module) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean inForce(CallerContext caller, String module) {
            throw new UnsupportedOperationException();
        }
    }

    private static class Handler extends ModuleEventHandler {
        final List<Event> handled = new ArrayList<>();
        ModuleService modules;

        @Override
        protected String moduleId() {
            return "memo";
        }

        @Override
        protected ModuleService moduleService() {
            return modules;
        }

        @Override
        protected void handleInForce(Event event) {
            handled.add(event);
        }
    }

    private static Event event(String subsidiary, String actor) {
        Map<String, Object> p = new HashMap<>();
        if (subsidiary != null) {
            p.put(CrmEventProperties.SUBSIDIARY, subsidiary);
        }
        if (actor != null) {
            p.put(CrmEventProperties.ACTOR, actor);
        }
        return new Event("org/groupcrm/customer/CREATED", p);
    }

    @Test
    void onlyEventsWhereTheModuleIsInForceForTheActorReachTheHandler() {
        Handler h = new Handler();
        Modules modules = new Modules();
        h.modules = modules;
        Event s1 = event("S1", "rep-1");
        Event pilot = event("S2", "pilot-1");
        h.handleEvent(s1);
        h.handleEvent(pilot);
        h.handleEvent(event("S2", "rep-2"));
        h.handleEvent(event("S3", "rep-3"));
        h.handleEvent(event(null, "rep-1"));
        assertEquals(List.of(s1, pilot), h.handled);
        assertEquals(List.of("S1/rep-1/memo", "S2/pilot-1/memo", "S2/rep-2/memo", "S3/rep-3/memo"), modules.asked);
    }

    @Test
    void anEventWithoutActorCountsOnlyWhereTheModuleIsOnForEveryone() {
        Handler h = new Handler();
        Modules modules = new Modules();
        h.modules = modules;
        h.handleEvent(event("S2", null));
        assertEquals(List.of("S2/null/memo"), modules.asked);
        assertEquals(List.of(), h.handled);
    }

    @Test
    void withoutTheModuleServiceNothingIsHandled() {
        Handler h = new Handler();
        h.handleEvent(event("S1", "rep-1"));
        assertEquals(List.of(), h.handled);
    }

    @Test
    void aHandlerMayDecideByTheRecordsOwnerInstead() {
        Handler h = new Handler() {
            @Override
            protected String userOf(Event event) {
                return (String) event.getProperty(CrmEventProperties.OWNER);
            }
        };
        Modules modules = new Modules();
        h.modules = modules;
        Map<String, Object> p = new HashMap<>();
        p.put(CrmEventProperties.SUBSIDIARY, "S2");
        p.put(CrmEventProperties.ACTOR, "assistant-1");
        p.put(CrmEventProperties.OWNER, "pilot-1");
        Event assisted = new Event("org/groupcrm/core/activity/CREATED", p);
        h.handleEvent(assisted);
        assertEquals(List.of(assisted), h.handled);
        assertEquals(List.of("S2/pilot-1/memo"), modules.asked);
    }
}
