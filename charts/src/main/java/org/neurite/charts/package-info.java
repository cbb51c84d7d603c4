/**
 * PNG charts drawn with XChart: {@link org.neurite.charts.TrainingCurves}, a callback that plots the losses and
 * metrics of {@code fit} per epoch, and {@link org.neurite.charts.LineChart} for any line plot. A module of its
 * own so that {@code neurite-core} needs neither {@code java.desktop} nor a charting library.
 */
package org.neurite.charts;
