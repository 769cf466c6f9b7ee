package org.groupcrm.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link CsvReader}: RFC 4180 records. */
class CsvReaderTest {

    private static List<List<String>> records(String text) throws IOException {
        CsvReader reader = new CsvReader(new StringReader(text));
        List<List<String>> records = new ArrayList<>();
        for (List<String> r = reader.next(); r != null; r = reader.next()) {
            records.add(r);
        }
        return records;
    }

    @Test
    void splitsFieldsAndRecordsWithLfOrCrlf() throws IOException {
        assertEquals(List.of(List.of("a", "b", ""), List.of("1", "", "3"), List.of("x", "y", "z")),
                records("a,b,\n1,,3\r\nx,y,z"));
        assertEquals(List.of(List.of("a"), List.of("b")), records("a\r\nb\r\n"));
        assertEquals(List.of(), records(""));
    }

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() throws IOException {
        assertEquals(List.of(List.of("Smith, John", "say \"hi\"", "two\nlines", "", "end")),
                records("\"Smith, John\",\"say \"\"hi\"\"\",\"two\nlines\",\"\",end\n"));
        assertEquals(List.of(List.of("a\r\nb", "c")), records("\"a\r\nb\",c"));
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsText() throws IOException {
        assertEquals(List.of(List.of("5\" disk", "x")), records("5\" disk,x"));
    }

    @Test
    void aByteOrderMarkIsSkippedAndAnEmptyLineIsARecordOfOneEmptyField() throws IOException {
        assertEquals(List.of(List.of("name"), List.of(""), List.of("Zhang")), records("\uFEFFname\n\nZhang\n"));
    }

    @Test
    void malformedQuotingIsReportedWithItsLine() throws IOException {
        CsvReader.CsvException open = assertThrows(CsvReader.CsvException.class, () -> records("a\nb\n\"never closed,x\n"));
        assertTrue(open.getMessage().contains("line 3"), open.getMessage());
        CsvReader.CsvException after = assertThrows(CsvReader.CsvException.class, () -> records("a\n\"quoted\"x,y\n"));
        assertTrue(after.getMessage().contains("line 2"), after.getMessage());
    }

    @Test
    void countsLinesAcrossQuotedLineBreaks() throws IOException {
        CsvReader reader = new CsvReader(new StringReader("h\n\"a\nb\"\nc\n"));
        assertEquals(1, reader.line());
        reader.next();
        reader.next();
        assertEquals(4, reader.line());
        assertEquals(List.of("c"), reader.next());
        assertNull(reader.next());
    }

    @Test
    void readsLongInputAcrossItsBuffer() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append(i).append(",\"v ").append(i).append("\"\n");
        }
        List<List<String>> records = records(sb.toString());
        assertEquals(5000, records.size());
        assertEquals(List.of("4999", "v 4999"), records.get(4999));
    }
}
