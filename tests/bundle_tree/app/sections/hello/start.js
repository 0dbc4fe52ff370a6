export const start = 3;
