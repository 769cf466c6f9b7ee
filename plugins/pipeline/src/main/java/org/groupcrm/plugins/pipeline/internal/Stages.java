package org.groupcrm.plugins.pipeline.internal;

import java.util.List;

/** The vendor's standard reference process, seeded for a subsidiary when the module first comes into force there. */
public final class Stages {
    private Stages() {
    }

    /** Code, name, default probability and outcome of each reference stage, in order. */
    public static final List<StageDTO> REFERENCE = List.of(
            StageDTO.of("lead", "Lead", 10, Outcome.OPEN),
            StageDTO.of("qualified", "Qualified", 25, Outcome.OPEN),
            StageDTO.of("proposal", "Proposal", 50, Outcome.OPEN),
            StageDTO.of("negotiation", "Negotiation", 75, Outcome.OPEN),
            StageDTO.of("won", "Won", 100, Outcome.WON),
            StageDTO.of("lost", "Lost", 0, Outcome.LOST));

    /** Whether a stage is still open or closes the opportunity. */
    public enum Outcome {
        OPEN, WON, LOST
    }
}
