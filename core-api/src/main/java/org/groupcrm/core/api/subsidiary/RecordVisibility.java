package org.groupcrm.core.api.subsidiary;

/**
 * Which customers a sales rep ({@link org.groupcrm.core.api.user.Roles#USER}) of a subsidiary sees, with their
 * contacts, activities and owner history. The other positions are not affected: assistants see their own and their
 * reps' customers, managers and the service positions every customer of the subsidiary.
 */
public enum RecordVisibility {
    /** A rep sees the customers they own (the default). */
    OWN,
    /**
     * A rep also sees the customers owned by the members of their own sales team, when the subsidiary is their home
     * subsidiary (teams belong to it); a rep in no team sees their own. Seeing is reading: a teammate's customer is
     * still changed only by its owner, their assistants and the positions that see the whole subsidiary.
     */
    TEAM
}
