/** CSV files as data sets: {@link org.neurite.csv.CsvDataset}, parsed with Apache Commons CSV. */
package org.neurite.csv;
