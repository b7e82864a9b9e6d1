// The smallest fair SurveyJS counterpart of the Rapport widget: one NPS-style 0–10 rating question,
// rendered by SurveyJS's framework-free UI (survey-js-ui) into a container, with the default theme in its
// "fontless" form: like the widget it then uses the system fonts instead of fetching Open Sans from a
// font service (bytes this comparison would not count).
// scripts/bench.sh bundles it with esbuild (--bundle --minify) and measures the JS and the CSS it needs.
import { Model } from 'survey-core';
import { renderSurvey } from 'survey-js-ui';
import 'survey-core/survey-core.fontless.css';

const json = {
  elements: [
    {
      type: 'rating',
      name: 'nps',
      title: 'How likely are you to recommend us to a friend or colleague?',
      rateMin: 0,
      rateMax: 10,
      minRateDescription: 'Not at all likely',
      maxRateDescription: 'Extremely likely',
      isRequired: true,
    },
  ],
};

const survey = new Model(json);
survey.onComplete.add((sender) => {
  document.dispatchEvent(new CustomEvent('survey-complete', { detail: sender.data }));
});
renderSurvey(survey, document.getElementById('survey'));
