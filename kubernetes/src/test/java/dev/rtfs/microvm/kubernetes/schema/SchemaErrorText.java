package dev.rtfs.microvm.kubernetes.schema;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One validator error as {@code <JSON path>: <message>}, in Kubernetes terms: an unknown or missing field is reported
 * at the field's own path ({@code $.spec.foo}, not {@code $.spec}) with the definition that lacks or needs it, and a
 * wrong IntOrString or Quantity is one line instead of the validator's three (the oneOf and each branch).
 */
final class SchemaErrorText {

    private SchemaErrorText() {}

    /** The text of {@code error}, or empty for an error another one already says (a branch of IntOrString/Quantity). */
    static Optional<String> of(Error error) {
        NodePath at = error.getInstanceLocation();
        String definition = definitionOf(error);
        String keyword = String.valueOf(error.getKeyword());
        boolean either = definition.equals(StrictDefinitions.INT_OR_STRING) || definition.equals(StrictDefinitions.QUANTITY);
        if (either) {
            if (!keyword.equals("oneOf")) return Optional.empty();
            String types = definition.equals(StrictDefinitions.INT_OR_STRING) ? "an integer or a string (IntOrString)" : "a number or a string (Quantity)";
            return Optional.of(at + ": must be " + types + ", found " + typeOf(error.getInstanceNode()));
        }
        return Optional.of(switch (keyword) {
            case "additionalProperties" -> at.append(error.getProperty()) + ": unknown field, not in " + definition;
            case "required" -> at.append(error.getProperty()) + ": required field missing, in " + definition;
            default -> at + ": " + error.getMessage();
        });
    }

    /** The {@code #/definitions/<name>} the failing keyword belongs to, or "" for the root. */
    private static String definitionOf(Error error) {
        NodePath fragment = error.getSchemaLocation() == null ? null : error.getSchemaLocation().getFragment();
        if (fragment == null || fragment.getNameCount() < 2 || !"definitions".equals(fragment.getName(0))) return "";
        return fragment.getName(1);
    }

    private static String typeOf(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
