/**
 * Hyperparameter search over any model: {@link org.neurite.tuning.HyperParameters} (what a build function asks for),
 * {@link org.neurite.tuning.RandomSearch} and {@link org.neurite.tuning.Hyperband}, scored by an
 * {@link org.neurite.tuning.Objective}, resumable from a directory of trial files.
 */
package org.neurite.tuning;
