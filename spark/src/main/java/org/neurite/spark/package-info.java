/**
 * Neurite on Apache Spark: {@link org.neurite.spark.NeuriteSpark#predict} (distributed inference) and
 * {@link org.neurite.spark.NeuriteSpark#fit} (data-parallel training in barrier mode, through a
 * {@link org.neurite.spark.RingAllReduce} among the tasks, one stage per epoch, checkpointed by the driver).
 */
package org.neurite.spark;
