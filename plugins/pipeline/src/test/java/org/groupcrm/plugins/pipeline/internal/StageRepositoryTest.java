package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.plugins.pipeline.internal.Stages.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stages: seeding from the reference, adaptation by managers, validation, and differences from the reference. */
class StageRepositoryTest {
    private static final CallerContext MANAGER = new CallerContext(1, "mona", "S1", Set.of(Roles.SUBSIDIARY_ADMIN));
    private static final CallerContext REP = new CallerContext(2, "rita", "S1", Set.of(Roles.USER));
    private static Db db;
    private ModuleRights rights;
    private PipelineModule module;

    @BeforeAll
    static void database() throws Exception {
        db = new Db(TestDatabase.dataSource(), null);
    }

    @BeforeEach
    void empty() throws Exception {
        TestDatabase.truncate();
        rights = new ModuleRights();
        module = TestAudit.moduleWith(db);
    }

    private static List<String> codes(String subsidiary) {
        return db.read((c, e) -> StageRepository.active(c, subsidiary).stream().map(StageRepository.Stage::code).toList());
    }

    private static StageDTO stage(String code, String name, Integer probability, Outcome outcome) {
        return StageDTO.of(code, name, probability == null ? 0 : probability, outcome);
    }

    @Test
    void seedingIsIdempotentAndKeepsAnAdaptedPipeline() {
        StageRepository.seedReference(db, "S1");
        StageRepository.seedReference(db, "S1");
        assertEquals(List.of("lead", "qualified", "proposal", "negotiation", "won", "lost"), codes("S1"));
        StageRepository.replace(module, rights, MANAGER, List.of(stage("lead", "Lead", 5, Outcome.OPEN),
                stage("won", "Won", 100, Outcome.WON), stage("lost", "Lost", 0, Outcome.LOST)));
        StageRepository.seedReference(db, "S1");
        assertEquals(List.of("lead", "won", "lost"), codes("S1"));
        StageRepository.seedReference(db, "S2");
        assertEquals(6, codes("S2").size());
    }

    @Test
    void replacingReordersRenamesAddsAndRetires() {
        StageRepository.seedReference(db, "S1");
        List<StageDTO> result = StageRepository.replace(module, rights, MANAGER, List.of(stage("qualified", "Qualified lead", 30, Outcome.OPEN),
                stage("demo", "Demonstration", 40, Outcome.OPEN), stage("lost", "Lost", 0, Outcome.LOST),
                stage("won", "Won", 100, Outcome.WON)));
        assertEquals(List.of("qualified", "demo", "lost", "won"), result.stream().map(s -> s.code).toList());
        assertEquals(List.of(1, 2, 3, 4), result.stream().map(s -> s.position).toList());
        assertEquals("Qualified lead", result.get(0).name);
        // retired stages stay (for the history), inactive
        long retired = db.read((c, e) -> StageRepository.all(c, "S1").stream().filter(s -> !s.active()).count());
        assertEquals(3, retired);
        // and come back when named again
        StageRepository.replace(module, rights, MANAGER, List.of(stage("lead", "Lead", 10, Outcome.OPEN), stage("won", "Won", 100, Outcome.WON),
                stage("lost", "Lost", 0, Outcome.LOST)));
        assertEquals(List.of("lead", "won", "lost"), codes("S1"));
    }

    @Test
    void aStageWithOpenOpportunitiesCannotBeRetired() throws Exception {
        StageRepository.seedReference(db, "S1");
        db.tx((c, e) -> {
            long stage = StageRepository.byCode(c, "S1", "proposal").orElseThrow().id();
            try (var p = c.prepareStatement("INSERT INTO pipeline_opportunity (subsidiary, customer_id, title, owner, amount,"
                    + " currency, stage_id, probability, status, stage_entered_at, last_activity_at, created_by, created_at,"
                    + " updated_at) VALUES ('S1', 1, 't', 'rita', 1, 'CNY', ?, 50, 'OPEN', now(), now(), 'rita', now(), now())")) {
                p.setLong(1, stage);
                p.executeUpdate();
            }
            return null;
        });
        ConflictException e = assertThrows(ConflictException.class, () -> StageRepository.replace(module, rights, MANAGER,
                List.of(stage("lead", "Lead", 10, Outcome.OPEN), stage("won", "Won", 100, Outcome.WON),
                        stage("lost", "Lost", 0, Outcome.LOST))));
        assertEquals("stage_in_use", e.code());
        assertEquals(6, codes("S1").size());
        assertEquals(List.of(), TestAudit.trail(), "a refused change leaves no audit entry");
    }

    @Test
    void eachChangeOfThePipelineIsOneAuditEntryWithTheStagesBeforeAndAfter() throws Exception {
        StageRepository.seedReference(db, "S1");
        assertEquals(List.of(), TestAudit.trail(), "seeding is the module's set-up, not a caller's write");
        StageRepository.replace(module, rights, MANAGER, List.of(stage("lead", "Lead", 10, Outcome.OPEN),
                stage("demo", "Demonstration", 40, Outcome.OPEN), stage("qualified", "Qualified", 20, Outcome.OPEN),
                stage("proposal", "Proposal", 50, Outcome.OPEN), stage("negotiation", "Negotiation", 75, Outcome.OPEN),
                stage("won", "Won", 100, Outcome.WON), stage("lost", "Lost", 0, Outcome.LOST)));
        List<StageDTO> same = StageRepository.replace(module, rights, MANAGER, List.of(stage("lead", "Lead", 10, Outcome.OPEN),
                stage("demo", "Demonstration", 40, Outcome.OPEN), stage("qualified", "Qualified", 20, Outcome.OPEN),
                stage("proposal", "Proposal", 50, Outcome.OPEN), stage("negotiation", "Negotiation", 75, Outcome.OPEN),
                stage("won", "Won", 100, Outcome.WON), stage("lost", "Lost", 0, Outcome.LOST)));
        assertEquals(7, same.size());
        assertThrows(ValidationException.class, () -> StageRepository.replace(module, rights, MANAGER, List.of()));
        assertThrows(ForbiddenException.class, () -> StageRepository.replace(module, rights, REP, same));
        StageRepository.replace(module, rights, MANAGER, List.of(stage("lead", "Lead", 10, Outcome.OPEN),
                stage("won", "Won", 100, Outcome.WON), stage("lost", "Lost", 0, Outcome.LOST)));

        // the unchanged replacement and the refused ones left nothing
        assertEquals(List.of("pipeline.stages S1 CONFIGURE mona [demo,lost,negotiation,proposal,qualified,won]",
                "pipeline.stages S1 CONFIGURE mona [demo,lost,negotiation,proposal,qualified,won]"), TestAudit.trail());
        List<String> diffs = TestAudit.diffs();
        assertTrue(diffs.get(0).contains("demo: null -> #2 Demonstration (40 %, OPEN)"), diffs.get(0));
        assertTrue(diffs.get(0).contains("qualified: #2 Qualified (25 %, OPEN) -> #3 Qualified (20 %, OPEN)"), diffs.get(0));
        assertTrue(diffs.get(1).contains("proposal: #4 Proposal (50 %, OPEN) -> null"), diffs.get(1));
        assertTrue(diffs.get(1).contains("won: #6 Won (100 %, WON) -> #2 Won (100 %, WON)"), diffs.get(1));
    }

    @Test
    void changingStagesNeedsTheModifyRightAndARefusalWritesNothing() {
        StageRepository.seedReference(db, "S1");
        List<StageDTO> shorter = List.of(stage("lead", "Lead", 10, Outcome.OPEN), stage("won", "Won", 100, Outcome.WON),
                stage("lost", "Lost", 0, Outcome.LOST));
        List<String> reference = List.of("lead", "qualified", "proposal", "negotiation", "won", "lost");
        CallerContext finance = new CallerContext(3, "fiona", "S1", Set.of(Roles.FINANCE));
        CallerContext assistant = new CallerContext(4, "sam", "S1", Set.of(Roles.SALES_ASSISTANT));
        for (CallerContext refused : List.of(REP, finance, assistant)) {
            ForbiddenException e = assertThrows(ForbiddenException.class,
                    () -> StageRepository.replace(module, rights, refused, shorter));
            assertEquals("missing_right", e.code());
            assertEquals(reference, codes("S1"), refused.login() + "'s refused change wrote nothing");
        }
        // a manager holds MODIFY by default; a subsidiary may take it away, or give it to its reps
        CallerContext manager = new CallerContext(5, "max", "S1", Set.of(Roles.MANAGER));
        rights.adjust("S1", PipelineModule.STAGE, Roles.MANAGER, Right.QUERY);
        assertThrows(ForbiddenException.class, () -> StageRepository.replace(module, rights, manager, shorter));
        assertEquals(reference, codes("S1"));
        rights.adjust("S1", PipelineModule.STAGE, Roles.USER, Right.QUERY, Right.MODIFY);
        StageRepository.replace(module, rights, REP, shorter);
        assertEquals(List.of("lead", "won", "lost"), codes("S1"));
    }

    @Test
    void validationNamesEveryBadField() {
        List<StageDTO> stages = new ArrayList<>();
        stages.add(stage("Lead", " ", 101, Outcome.OPEN));
        stages.add(stage("won", "Won", 100, Outcome.WON));
        stages.add(stage("won", "Won again", 100, Outcome.WON));
        stages.add(null);
        StageDTO positioned = stage("x", "X", 1, null);
        positioned.position = 3;
        stages.add(positioned);
        ValidationException e = assertThrows(ValidationException.class, () -> StageRepository.validate(stages));
        List<String> fields = e.fields().stream().map(FieldError::field).toList();
        assertEquals(List.of("stages", "stages", "stages[0].code", "stages[0].name", "stages[0].probability",
                "stages[2].code", "stages[3]", "stages[4].outcome", "stages[4].position"), fields);
        assertThrows(ValidationException.class, () -> StageRepository.validate(List.of()));
        assertThrows(ValidationException.class, () -> StageRepository.validate(null));
    }

    @Test
    void differencesFromTheReferenceAreListed() {
        List<StageDTO> own = List.of(stage("qualified", "Qualified", 25, Outcome.OPEN), stage("lead", "Lead", 10, Outcome.OPEN),
                stage("demo", "Demo", 40, Outcome.OPEN), stage("proposal", "Offer", 50, Outcome.OPEN),
                stage("won", "Won", 100, Outcome.WON), stage("lost", "Lost", 0, Outcome.LOST));
        List<String> diff = StageRepository.differences(own).stream().map(d -> d.code() + ":" + d.change()).toList();
        assertEquals(List.of("qualified:MOVED", "lead:MOVED", "demo:ADDED", "proposal:CHANGED", "negotiation:REMOVED"), diff);
        assertEquals(List.of(), StageRepository.differences(Stages.REFERENCE));
    }
}
