package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The sales funnel of a scope (a subsidiary, one rep in it, or a sales team of it) for a period, ready for a chart. Answers only.
 * <p>
 * <b>Terms.</b> The <i>period</i> is {@link #from} to {@link #to}, both inclusive, as UTC dates (from
 * {@code from}T00:00Z up to, excluding, the day after {@code to}). The <i>scope</i> is the non-archived
 * opportunities of {@link #scope}: of its subsidiary, and when {@link Scope#owner} is set, owned by that login now.
 * Archived opportunities and other subsidiaries' rows never count anywhere. The <i>cohort</i> is the opportunities of
 * the scope created within the period. The stage history has one row per stage an opportunity entered (the first
 * one is its creation); a <i>stay</i> in a stage lasts from the row entering it to the opportunity's next history row.
 * <p>
 * <b>Amounts</b> are summed as they are stored, whatever their currency: when {@link #currencies} names more than one
 * currency the sums mix them (a known limitation; {@link #currencyNote} says so). Amounts have two decimals; ratios
 * are fractions between 0 and 1 with four decimals (not percentages); days have two decimals. A figure that is
 * undefined (a division by zero) is {@code null}, which the REST edge leaves out of the JSON.
 */
public class FunnelDTO {
    /** First day of the period (UTC), inclusive. */
    public LocalDate from;
    /** Last day of the period (UTC), inclusive. */
    public LocalDate to;
    /** Whose opportunities were analysed. */
    public Scope scope;
    /**
     * The subsidiary's active stages: its OPEN stages in their order, then the WON stage, then the LOST stage.
     * Opportunities that entered stages retired since then count in the totals below but in no stage.
     */
    public List<Stage> stages;

    /** Size of the cohort: opportunities of the scope created within the period. */
    public long created;
    /** Sum of the cohort's amounts. */
    public BigDecimal createdAmount;
    /** Opportunities of the cohort that are won now (whenever they were won). */
    public long createdWon;
    /** Opportunities of the cohort that are lost now (whenever they were lost). */
    public long createdLost;
    /** Opportunities of the cohort that are still open now; {@code created = createdWon + createdLost + createdOpen}. */
    public long createdOpen;

    /** Opportunities of the scope won within the period (by {@code closed_at}), whenever they were created. */
    public long won;
    /** Sum of the amounts of {@link #won}. */
    public BigDecimal wonAmount;
    /** Opportunities of the scope lost within the period (by {@code closed_at}), whenever they were created. */
    public long lost;
    /** Sum of the amounts of {@link #lost}. */
    public BigDecimal lostAmount;
    /** {@code won ÷ (won + lost)}: of the scope's opportunities closed within the period, the share won; null if none closed. */
    public Double winRate;

    /** Opportunities of the scope open now, whenever created (the sum of the stages' {@link Stage#current}). */
    public long open;
    /** Sum of the amounts of {@link #open}. */
    public BigDecimal openAmount;
    /**
     * {@code Σ amount × probability ÷ 100} over the opportunities of the scope open now, with each opportunity's own
     * probability (which starts as its stage's default and may have been adjusted).
     */
    public BigDecimal weightedPipelineValue;

    /**
     * The distinct currencies of the opportunities behind any amount above (the cohort, those open now, those closed
     * within the period), sorted; empty when there are none.
     */
    public List<String> currencies;
    /** Set only when {@link #currencies} has more than one entry: the amounts add up different currencies as they are. */
    public String currencyNote;

    /** Whose opportunities were analysed. */
    public static class Scope {
        /** The caller's subsidiary. */
        public String subsidiary;
        /** The owner (login) analysed, or null for the whole subsidiary or a team. */
        public String owner;
        /** The sales team analysed, or null. */
        public String team;
        /** The team's members whose opportunities were counted (logins, sorted), or null when no team was asked. */
        public List<String> members;
    }

    /** One stage of the funnel. */
    public static class Stage {
        public String code;
        public String name;
        /** 1-based place in {@link FunnelDTO#stages} (OPEN stages in order, then WON, then LOST). */
        public int position;
        public Stages.Outcome outcome;
        /** The stage's default probability (0–100). */
        public int probability;

        /**
         * Opportunities of the cohort that ever entered this stage (per the stage history, whenever they entered it),
         * each counted once. Stages are not implied: an opportunity moved from lead straight to proposal did not reach
         * qualified.
         */
        public long reached;
        /** Sum of the amounts of {@link #reached}. */
        public BigDecimal reachedAmount;
        /** Opportunities of the scope open now and in this stage, regardless of the period (0 for WON and LOST). */
        public long current;
        /** Sum of the amounts of {@link #current}. */
        public BigDecimal currentAmount;
        /**
         * {@code reached} of the next OPEN or WON stage ÷ {@code reached} of this one, for OPEN stages (the last OPEN
         * stage's next one is WON); null for WON and LOST and when this stage's {@code reached} is 0. It may exceed 1
         * when opportunities skipped this stage.
         */
        public Double conversionToNext;
        /**
         * Mean length in days of the stays in this stage that ended within the period (the next history row is within
         * the period), of opportunities of the scope whenever created; null when no stay ended within the period.
         */
        public Double averageDaysInStage;
        /** Number of stays behind {@link #averageDaysInStage}. */
        public long staysEnded;
    }
}
