// Answers, for a Huawei Cloud DDM instance, which instances its backup can be restored into and to which points in time, with values known at preview.
package hwddm
