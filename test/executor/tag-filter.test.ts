import { strictEqual } from 'node:assert/strict';
import { isSelectedByTags } from '../../src/executor/tag-filter.js';

describe('isSelectedByTags', () => {
  const table: { task: string[]; only: string[]; skip: string[]; selected: boolean }[] = [
    { task: [], only: [], skip: [], selected: true },
    { task: ['config'], only: ['config'], skip: [], selected: true },
    { task: ['config'], only: ['install'], skip: [], selected: false },
    { task: [], only: ['install'], skip: [], selected: false },
    { task: ['always'], only: ['install'], skip: [], selected: true },
    { task: ['always'], only: [], skip: ['always'], selected: false },
    { task: ['never'], only: [], skip: [], selected: false },
    { task: ['never', 'debug'], only: ['debug'], skip: [], selected: true },
    { task: ['never', 'debug'], only: ['all'], skip: [], selected: false },
    { task: ['config'], only: [], skip: ['config'], selected: false },
    { task: ['config', 'install'], only: ['install'], skip: ['config'], selected: false },
    { task: ['x'], only: ['tagged'], skip: [], selected: true },
    { task: [], only: ['untagged'], skip: [], selected: true },
    { task: ['x'], only: ['untagged'], skip: [], selected: false },
  ];
  for (const { task, only, skip, selected } of table) {
    it(`task ${JSON.stringify(task)} --tags ${only} --skip-tags ${skip} → ${selected}`, () =>
      strictEqual(isSelectedByTags(task, only, skip), selected));
  }
});
