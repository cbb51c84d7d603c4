package org.neurite.tuning;

import java.util.Map;

/**
 * One trial: its number, hyperparameters, score (the objective's best value, averaged over the executions; NaN when
 * training diverged), and the epochs it trained. For Hyperband, the bracket and round that produced it.
 */
public record Trial(int id, Map<String, Object> hyperParameters, double score, int epochs, int bracket, int round) {
}
