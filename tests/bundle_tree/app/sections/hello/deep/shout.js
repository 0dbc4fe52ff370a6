import greet from "../greet.js";
import { one } from "../../../core/values.js";

export const shout = (name) => greet(name).toUpperCase() + "!".repeat(one);
