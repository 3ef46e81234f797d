package io.github.captum4j.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.List;

/**
 * Where a row's features and target are (not API): column indices resolved once on the driver.
 *
 * @param features the feature columns' indices
 * @param arrayColumn whether there is one array column (else one number per column)
 * @param target the target column's index, or -1
 */
record RowLayout(int[] features, boolean arrayColumn, int target) implements Serializable {

    static RowLayout of(StructType schema, DatasetExplainer.Options options) {
        return of(schema, options.featureColumns(), options.targetColumn());
    }

    static RowLayout of(StructType schema, List<String> names, String targetColumn) {
        int[] idx = new int[names.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = fieldIndex(schema, names.get(i), "featureColumns");
            DatasetExplainer.checkNumeric(schema.fields()[idx[i]]);
        }
        boolean array = schema.fields()[idx[0]].dataType() instanceof ArrayType;
        if (array && idx.length > 1) {
            throw new IllegalArgumentException(
                    "featureColumns must be one array column or several numeric columns, got "
                            + names);
        }
        int target = -1;
        if (targetColumn != null) {
            target = fieldIndex(schema, targetColumn, "targetColumn");
            StructField f = schema.fields()[target];
            if (!(f.dataType() instanceof IntegralType)) {
                throw new IllegalArgumentException(
                        "targetColumn '"
                                + f.name()
                                + "' must hold integers, got "
                                + f.dataType().simpleString());
            }
        }
        return new RowLayout(idx, array, target);
    }

    private static int fieldIndex(StructType schema, String name, String argument) {
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                argument + ": no column '" + name + "' in " + schema.simpleString());
    }

    /** The row's features. */
    float[] features(Row row) {
        if (arrayColumn) {
            return floats(row, features[0]);
        }
        float[] out = new float[features.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) row.get(features[i])).floatValue();
        }
        return out;
    }

    /** An array column of numbers as floats. */
    static float[] floats(Row row, int column) {
        List<Object> values = row.getList(column);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }
}
