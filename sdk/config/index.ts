// The `hwddm:` stack config (`hwddm.config.region`, ...).
export * from "./vars";
