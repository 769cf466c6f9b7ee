package org.groupcrm.plugins.pipeline.internal;

/** Body of a stage move, a win or a loss. */
public class MoveDTO {
    /** Target stage code (moves only; an OPEN stage). */
    public String stage;
    /** New probability (moves only; default: the stage's). */
    public Integer probability;
    /** Why it was won or lost (required to lose). */
    public String reason;
    /** The version read; when given, a stale one is a 409. */
    public Long version;
    /** Win only: the order to enter for it (the commission counts only orders entered in the CRM). */
    public OrderDTO order;
}
