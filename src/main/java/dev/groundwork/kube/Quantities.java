package dev.groundwork.kube;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Quantities as the API server sees them: compared by value ("1024Mi" equals "1Gi") and written in the
 * canonical form the server would store, so that what we apply is byte-for-byte what we read back.
 */
public final class Quantities {
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final String[] DECIMAL_SUFFIXES = {"", "k", "M", "G", "T", "P", "E"};
    private static final BigInteger KIBI = BigInteger.valueOf(1024);
    private static final BigInteger KILO = BigInteger.valueOf(1000);

    private Quantities() {
    }

    public static BigDecimal value(String quantity) {
        return Quantity.getAmountInBytes(Quantity.parse(quantity));
    }

    public static int compare(String a, String b) {
        return value(a).compareTo(value(b));
    }

    public static boolean isValid(String quantity) {
        try {
            value(quantity);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Canonical form of a whole-number quantity: binary suffixes stay binary and decimal stay decimal,
     * with the largest suffix that keeps the number whole. Fractions are returned as given.
     */
    public static String canonical(String quantity) {
        BigDecimal amount = value(quantity);
        if (amount.signum() == 0) {
            return "0";
        }
        BigInteger whole;
        try {
            whole = amount.toBigIntegerExact();
        } catch (ArithmeticException e) {
            return quantity;
        }
        String format = Quantity.parse(quantity).getFormat();
        boolean binary = format != null && format.endsWith("i");
        // The API server writes binary amounts below 1Ki in decimal form.
        if (binary && whole.compareTo(KIBI) >= 0) {
            return scaled(whole, KIBI, BINARY_SUFFIXES);
        }
        return scaled(whole, KILO, DECIMAL_SUFFIXES);
    }

    private static String scaled(BigInteger amount, BigInteger base, String[] suffixes) {
        int suffix = 0;
        while (suffix < suffixes.length - 1 && amount.mod(base).signum() == 0) {
            amount = amount.divide(base);
            suffix++;
        }
        return amount + suffixes[suffix];
    }
}
