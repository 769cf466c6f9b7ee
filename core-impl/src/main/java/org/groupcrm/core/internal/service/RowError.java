package org.groupcrm.core.internal.service;

import java.util.Comparator;
import java.util.List;

/**
 * One problem with one row of a batch.
 *
 * @param row    the 1-based number of the data row (a CSV file's header row does not count; nor do blank lines)
 * @param field  the field (CSV column) as the client named it, or {@code body} for the row as a whole
 * @param reason why it was rejected, in words
 */
public record RowError(int row, String field, String reason) {
    /** Most problems one refusal lists; the message says how many there were in all. */
    public static final int LISTED = 100;

    static final Comparator<RowError> ORDER = Comparator.comparingInt(RowError::row).thenComparing(RowError::field)
            .thenComparing(RowError::reason);

    /** A batch refusal that names its rows. */
    public interface Report {
        /** @return the first {@value RowError#LISTED} problems, by row */
        List<RowError> rows();
    }

    /** @return "N problems in M of R rows", and whether all of them are listed */
    static String count(List<RowError> errors, int rows) {
        long bad = errors.stream().mapToInt(RowError::row).distinct().count();
        String s = errors.size() + (errors.size() == 1 ? " problem" : " problems") + " in " + bad + " of " + rows
                + (rows == 1 ? " row" : " rows");
        return errors.size() > LISTED ? s + " (the first " + LISTED + " are listed)" : s;
    }

    static List<RowError> listed(List<RowError> errors) {
        return errors.stream().sorted(ORDER).limit(LISTED).toList();
    }
}
